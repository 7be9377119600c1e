module Api
  # A public badge endpoint that answers CORS by hand, next to rack-cors for the rest of the API.
  class BadgesController < ActionController::API
    PARTNERS = ['https://partner.example.org', 'https://shop.example.com'].freeze

    after_action :cors_headers

    def show
      render json: { badge: params[:id] }
    end

    private

    def cors_headers
      origin = request.headers['Origin']
      headers['Access-Control-Allow-Origin'] = origin if PARTNERS.include?(origin)
    end
  end
end
