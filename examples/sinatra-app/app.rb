# A small Sinatra API that writes its CORS headers by hand: `ruby app.rb` (port 4567).
require 'sinatra/base'

class BuildsApi < Sinatra::Base
  enable :sessions

  PARTNERS = ['https://app.example.com', 'https://partner.example.org/'].freeze

  after do
    origin = request.env['HTTP_ORIGIN']
    if PARTNERS.include?(origin)
      headers['Access-Control-Allow-Origin'] = origin
      headers['Access-Control-Allow-Credentials'] = 'true'
    end
  end

  options '*' do
    headers['Access-Control-Allow-Methods'] = 'GET, POST, DELETE'
    200
  end

  get '/api/builds' do
    content_type :json
    '[]'
  end

  run! if app_file == $PROGRAM_NAME
end
