# frozen_string_literal: true

# CORS for the shop's API. Frontends come from CORS_ORIGINS in production.
FRONTENDS = ENV.fetch('CORS_ORIGINS', 'https://shop.example.com,http://localhost:3000').split(',').map(&:strip)

Rails.application.config.middleware.use Rack::Cors do
  allow do
    origins FRONTENDS, /https:\/\/.*\.preview\.example\.com/
    resource '/api/*',
      headers: %w[Authorization Content-Type X-Request-Id],
      methods: %i[get post put patch delete options head],
      credentials: true,
      expose: %w[X-Total-Count],
      max_age: 600
  end

  allow do
    origins '*'
    resource '/public/*', headers: :any, methods: :get
  end
end
