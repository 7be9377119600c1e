/**
 * Truth suite for the hand-set headers model on Django: each case under
 * test/fixtures/truth/python-handset-django/<case>/ is a settings module and the middleware it
 * lists (`echo_origin.py`), served by the real Django 3.2 with django-cors-headers 3.14 (Debian
 * packages, /usr/bin/python3) on 127.0.0.1 through test/truth/django/serve.py. A middleware
 * inside corsheaders' CorsMiddleware is compared for the origins corsheaders does not list (all
 * of the suite's): those get the inner middleware's answer, the listed ones corsheaders' own.
 */
import path from 'node:path';
import { pythonHandsetSuite } from './support/python-handset-suite';

pythonHandsetSuite({
  title: 'hand-set headers model vs the real Django (and django-cors-headers around it)',
  fixtures: path.resolve(__dirname, '../fixtures/truth/python-handset-django'),
  files: { served: 'settings.py', read: 'echo_origin.py' },
  serve: path.join(__dirname, 'django/serve.py'),
  modules: ['django', 'corsheaders'],
  installed: 'the real Django and django-cors-headers are installed',
  install:
    'apt-get install python3-django python3-django-cors-headers (see test/install-system.sh)',
  atLeast: 2,
  // No HEAD: Django's development WSGI server sends HEAD answers with their body.
  edges: () => [],
});
