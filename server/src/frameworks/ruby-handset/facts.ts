/**
 * A Rails controller that writes its CORS headers by hand: its callbacks (`before_action`,
 * `after_action`, with `only:`/`except:`) and actions, each as steps the model replays.
 */
import type { RubyStep } from '../../lang/ruby/handset';
import type { Span } from '../../policy/types';

export interface RailsCallback {
  stage: 'before' | 'after';
  name: string;
  /** Actions it runs for (`only:`), or every action but `except`. */
  only?: string[];
  except?: string[];
  steps: RubyStep[];
  span: Span;
}

export interface RailsAction {
  name: string;
  steps: RubyStep[];
  span: Span;
}

export interface RubyHandsetFacts {
  controller: string;
  callbacks: RailsCallback[];
  actions: RailsAction[];
}

declare module '../../policy/types' {
  interface FrameworkFactsMap {
    'ruby-handset': RubyHandsetFacts;
  }
}
