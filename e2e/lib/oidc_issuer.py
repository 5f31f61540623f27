"""A tiny OpenID Connect issuer on loopback HTTPS, for the e2e scripts (Python standard library only).

Usage: oidc_issuer.py DIR PATH...

Serves, from DIR/tls.pem (the server certificate followed by its CA) and DIR/tls.key:
  * for each PATH, the issuer https://127.0.0.1:PORT/PATH: its discovery document at
    /PATH/.well-known/openid-configuration and its JWKS (the file DIR/jwks.json, read on every request) at /PATH/jwks;
  * a second listener, the attacker's, that serves DIR/attacker-jwks.json at any path.
Every request each listener receives is appended to DIR/issuer.log or DIR/attacker.log. When both listen, writes
"ISSUER_PORT ATTACKER_PORT" to DIR/ports.
"""
import http.server
import json
import os
import ssl
import sys
import threading

directory, paths = sys.argv[1], [path.strip("/") for path in sys.argv[2:]]


def handler(log_name, routes):
    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            with open(os.path.join(directory, log_name), "a") as log:
                log.write(self.path + "\n")
            body = routes(self.path)
            if body is None:
                self.send_error(404)
                return
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    return Handler


def listen(handler_class):
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler_class)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(os.path.join(directory, "tls.pem"), os.path.join(directory, "tls.key"))
    server.socket = context.wrap_socket(server.socket, server_side=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def read(name):
    with open(os.path.join(directory, name), "rb") as file:
        return file.read()


def issuer_routes(request_path):
    base = f"https://127.0.0.1:{issuer_server.server_address[1]}"
    for path in paths:
        issuer = f"{base}/{path}"
        if request_path == f"/{path}/.well-known/openid-configuration":
            return json.dumps({
                "issuer": issuer,
                "jwks_uri": f"{issuer}/jwks",
                "authorization_endpoint": f"{issuer}/authorize",
                "response_types_supported": ["id_token"],
                "subject_types_supported": ["public"],
                "id_token_signing_alg_values_supported": ["RS256"],
            }).encode()
        if request_path == f"/{path}/jwks":
            return read("jwks.json")
    return None


issuer_server = listen(handler("issuer.log", issuer_routes))
attacker_server = listen(handler("attacker.log", lambda _: read("attacker-jwks.json")))
with open(os.path.join(directory, "ports.tmp"), "w") as ports:
    ports.write(f"{issuer_server.server_address[1]} {attacker_server.server_address[1]}\n")
os.rename(os.path.join(directory, "ports.tmp"), os.path.join(directory, "ports"))
threading.Event().wait()
