# Serves a Rails app on 127.0.0.1 the way one environment runs it, for the environments suite:
# `RAILS_ENV` and every other variable come from this process's environment, as on a real host;
# config.ru boots the app (config/environment.rb) and Puma serves it on a free port. Prints
# `PORT <n>` once it listens, then serves until killed.
# Usage: /usr/bin/ruby serve_rails.rb APP_DIR
require "rack"
require "puma"
require "puma/server"

Dir.chdir(ARGV.fetch(0))
app, = Rack::Builder.parse_file("config.ru")
server = Puma::Server.new(app, Puma::Events.strings, min_threads: 0, max_threads: 4)
server.add_tcp_listener("127.0.0.1", 0)
$stdout.puts "PORT #{server.connected_ports.first}"
$stdout.flush
server.run.join
