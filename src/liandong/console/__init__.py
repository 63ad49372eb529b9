"""The web console (工作台) at `/console/`: server-rendered pages for people, signed in by password.

`install(app)` mounts it on the API app; the JSON API stays the source of truth. Each per-role page module
has its router (built with `console.pages.ConsoleRoute`); they are included first, then `web.install` adds
the static files and the main router, whose catch-all 404 must stay last.
"""

from liandong.console import (
    action_pages,
    analytics_pages,
    board_pages,
    dispatch_pages,
    inbox_pages,
    intake_pages,
    knowledge_pages,
    police_pages,
    quality_pages,
    push_pages,
    search_pages,
    share_pages,
    wall_pages,
    web,
)

PAGE_ROUTERS = (intake_pages.router, police_pages.router, dispatch_pages.router, inbox_pages.router, action_pages.router,
                board_pages.router, wall_pages.router, search_pages.router, knowledge_pages.router,
                analytics_pages.router, quality_pages.router, share_pages.router, push_pages.router)


def install(app) -> None:
    for router in PAGE_ROUTERS:
        app.include_router(router)
    web.install(app)
