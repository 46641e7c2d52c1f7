"""The baseline: a bare Flask endpoint, served the same way as the forum."""

from flask import Flask

app = Flask(__name__)


@app.get("/")
@app.get("/healthz")
def hello():
    return "ok"
