"""The web console (工作台) at `/console/`: server-rendered pages for people, signed in by password.

`install(app)` mounts it on the API app; the JSON API stays the source of truth.
"""

from liandong.console.web import install  # noqa: F401
