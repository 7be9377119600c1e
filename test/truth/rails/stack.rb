# Prints the middleware stack of a default Rails application in development, as
# `bin/rails middleware` does (one `inspect` a line), for the rack-cors-position check's truth test.
require "rails/all"

class StackApp < Rails::Application
  config.root = __dir__
  config.eager_load = false
  config.secret_key_base = "truth"
  config.logger = Logger.new(nil)
  # As the development.rb of a generated app sets it.
  config.active_record.migration_error = :page_load
end

StackApp.initialize!
puts "RAILS #{Rails::VERSION::STRING}"
StackApp.middleware.each { |middleware| puts middleware.inspect }
