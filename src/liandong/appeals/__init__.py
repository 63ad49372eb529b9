"""The appeal as stored (诉求记录): written once by intake (or by linkage for a transfer received from a
peer desk), read by orders, supervision and linkage. Its own package so that those read it without
depending on intake, which sits above them."""
