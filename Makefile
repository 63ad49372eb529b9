# Liandong — two commands for a newcomer: `make demo` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# The front-end assets (the console's htmx, Swagger UI for /docs) come from npm at install time, pinned with
# integrity hashes in frontend/package-lock.json, and are copied into the package, which serves them itself
# (no CDN). --ignore-scripts: no package runs code at install (swagger-ui-dist's @scarf/scarf would phone home).
VENDOR := src/liandong/console/static/vendor
VENDOR_STAMP := $(VENDOR)/.installed

.PHONY: demo test venv vendor test-pg bench clean screenshots portal-screenshots

$(STAMP): requirements.lock pyproject.toml $(VENDOR_STAMP)
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.lock
	$(BIN)/python -m pip install --quiet --no-deps -e .
	@touch $(STAMP)

$(VENDOR_STAMP): frontend/package.json frontend/package-lock.json
	@command -v npm >/dev/null || { echo "npm is needed at install time for the console's assets (Debian: apt-get install npm)"; exit 1; }
	cd frontend && SCARF_ANALYTICS=false npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
	mkdir -p $(VENDOR)
	cp frontend/node_modules/htmx.org/dist/htmx.min.js $(VENDOR)/htmx.min.js
	cp frontend/node_modules/swagger-ui-dist/swagger-ui-bundle.js frontend/node_modules/swagger-ui-dist/swagger-ui.css $(VENDOR)/
	@touch $(VENDOR_STAMP)

venv: $(STAMP)

vendor: $(VENDOR_STAMP)

demo: $(STAMP)
	$(BIN)/liandong demo

test: $(STAMP)
	$(BIN)/python -m pytest -n 2 -q $(PYTEST_ARGS)

screenshots: $(STAMP)  # the console's screenshots in docs/console/, taken by the browser tests
	LIANDONG_CONSOLE_SHOTS=docs/console $(BIN)/python -m pytest -q -p no:cacheprovider tests/browser -k "order_list_then_the_detail or street_light or knife_fight or bounce_chain or refreshes_by_itself or export_csv_and_xlsx or shadow_shows or clears_the_review_queue or signs_and_replies_from_the_inbox"

portal-screenshots: $(STAMP)  # the citizen portal's screenshots in docs/portal/ (phone-sized)
	LIANDONG_PORTAL_SHOTS=docs/portal $(BIN)/python -m pytest -q -p no:cacheprovider tests/browser/test_portal_browser.py

bench: $(STAMP)
	$(BIN)/python bench/intake.py

clean:
	rm -rf $(VENV) var .pytest_cache frontend/node_modules $(VENDOR)
