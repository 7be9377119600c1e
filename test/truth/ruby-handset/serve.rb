# Serves the one Rails controller of a fixture file with ActionController (Rails 6.1) under Puma on
# 127.0.0.1 (a free port) and prints `PORT <n>`, for test/truth/ruby-handset.test.ts. Routes
# follow the model's assumption: GET, HEAD and OPTIONS of every path reach `show` (else `index`),
# POST `create`, PUT/PATCH `update`, DELETE `destroy`; a base controller without actions is served
# through a subclass whose actions all render.
require 'action_controller'
require 'puma'
require 'puma/server'

class ApplicationController < ActionController::API; end

before = ActionController::Base.descendants + ActionController::API.descendants
load File.expand_path(ARGV.fetch(0))
controller = (ActionController::API.descendants + ActionController::Base.descendants - before).find { |c| c.name }
actions = controller.public_instance_methods(false).map(&:to_s)
# A controller without actions is a base class: serve a subclass whose actions render, as the
# model assumes for the controllers that inherit it.
if actions.empty?
  base = controller
  controller = Class.new(base) do
    %w[show create update destroy].each { |a| define_method(a) { render json: {} } }
  end
  Object.const_set(:InheritingController, controller)
  actions = %w[show create update destroy]
end
name = controller.name.underscore.sub(/_controller\z/, '')

routes = ActionDispatch::Routing::RouteSet.new
routes.draw do
  read = (%w[show index] & actions).first || actions.first
  %w[/ /*path].each do |path|
    match path, to: "#{name}##{read}", via: %i[get head options]
    post path, to: "#{name}#create" if actions.include?('create')
    match path, to: "#{name}#update", via: %i[put patch] if actions.include?('update')
    delete path, to: "#{name}#destroy" if actions.include?('destroy')
  end
end

app = ActionDispatch::ShowExceptions.new(routes, ActionDispatch::PublicExceptions.new(Dir.pwd))
server = Puma::Server.new(app, Puma::Events.strings, min_threads: 0, max_threads: 4)
server.add_tcp_listener('127.0.0.1', 0)
$stdout.puts "PORT #{server.connected_ports.first}"
$stdout.flush
server.run.join
