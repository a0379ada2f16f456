# expect: DKR-001@2 DKR-007@3
from debian:12.5-slim as Final
expose 22
healthcheck cmd ["true"]
cmd ["app"]
