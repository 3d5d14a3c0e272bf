"""``vanban serve``: the office's web page over the library (check, draft, track).

    create_app(data_dir) ──▶ Flask app: pages in ``templates/``, vendored CSS/JS in ``static/``;
    storage in ``data_dir`` (SQLite + content-addressed blobs, :mod:`vanban.web.store`);
    dossiers checked in background threads (:mod:`vanban.web.intake`).
"""

from .app import create_app

__all__ = ["create_app"]
