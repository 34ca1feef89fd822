import os

# A CGI server starts this script as a new process for every request. The request
# arrives in environment variables (and the body on stdin); the response is whatever
# the script prints: headers, a blank line, then the body.
os.environ.update(REQUEST_METHOD="GET", PATH_INFO="/hello", QUERY_STRING="name=Lan")

name = os.environ["QUERY_STRING"].removeprefix("name=")
print("Content-Type: text/plain; charset=utf-8")
print()
print(f"Xin chào {name}, this is {os.environ['REQUEST_METHOD']} {os.environ['PATH_INFO']}")
