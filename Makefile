# The two commands that do all set-up on a fresh machine: `make demo` and `make test`.
.PHONY: demo test setup lint

demo: setup
	.venv/bin/icihub demo $(if $(PORT),--port $(PORT),)

test:
	scripts/test

setup:
	scripts/setup

lint: setup
	.venv/bin/ruff check .
