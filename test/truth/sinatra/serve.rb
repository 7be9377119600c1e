# Serves one Sinatra app file (classic or a Sinatra::Base subclass) with Puma on 127.0.0.1 (a free
# port) and prints `PORT <n>` once it listens, for test/truth/sinatra.test.ts.
require 'sinatra/base'
require 'puma'
require 'puma/server'

before = ObjectSpace.each_object(Class).select { |c| c < Sinatra::Base }
load File.expand_path(ARGV.fetch(0))
modular = ObjectSpace.each_object(Class).select { |c| c < Sinatra::Base } - before - [Sinatra::Application]
app = modular.first || Sinatra::Application
# A classic app must not start its own server when this script exits.
Sinatra::Application.set :run, false if defined?(Sinatra::Application)
server = Puma::Server.new(app, Puma::Events.strings, min_threads: 0, max_threads: 4)
server.add_tcp_listener('127.0.0.1', 0)
$stdout.puts "PORT #{server.connected_ports.first}"
$stdout.flush
server.run.join
