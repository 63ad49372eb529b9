"""Open311 GeoReport v2 beside the native API (`/open311/v2/`): the civic-tech ecosystem's interface."""
