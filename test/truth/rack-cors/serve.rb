# Serves one config.ru with Puma on 127.0.0.1 (a free port) and prints `PORT <n>` once it
# listens, for test/truth/rack-cors.test.ts. A config.ru that raises (rack-cors refusing its
# configuration) makes this exit with the error on stderr.
require 'rack'
require 'puma'
require 'puma/server'

app, = Rack::Builder.parse_file(ARGV.fetch(0))
server = Puma::Server.new(app, Puma::Events.strings, min_threads: 0, max_threads: 4)
server.add_tcp_listener('127.0.0.1', 0)
$stdout.puts "PORT #{server.connected_ports.first}"
$stdout.flush
server.run.join
