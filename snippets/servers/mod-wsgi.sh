pip install mod_wsgi   # compiles against Apache: first apt-get install apache2-bin apache2-dev
mod_wsgi-express start-server --application-type module config.wsgi --processes 2 --threads 8 --host 127.0.0.1 --port 8000 --log-to-terminal
