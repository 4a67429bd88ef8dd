"""The HTTP edge: routes, the inbound guard and token check, load shedding, hosting, metrics, readiness."""
