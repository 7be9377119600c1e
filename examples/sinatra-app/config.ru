require_relative 'app'

run BuildsApi
