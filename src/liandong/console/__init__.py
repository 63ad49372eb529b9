"""The web console (工作台) at `/console/`: server-rendered pages for people, signed in by password.

`install(app)` mounts it on the API app; the JSON API stays the source of truth. The per-role page
modules import `console.web` (its route class and `page`), so they are included here, before
`web.install` adds the main router whose catch-all 404 must stay last.
"""

from liandong.console import board_pages, search_pages, wall_pages, web

PAGE_ROUTERS = (board_pages.router, wall_pages.router, search_pages.router)


def install(app) -> None:
    for router in PAGE_ROUTERS:
        app.include_router(router)
    web.install(app)
