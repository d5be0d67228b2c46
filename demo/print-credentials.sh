#!/bin/sh
# Stands in for a credential_process tool: prints Version 1 JSON valid for one hour.
now=$(date +%s)
expires=$(date -u -d "@$((now + 3600))" +%Y-%m-%dT%H:%M:%SZ 2>/dev/null || date -u -r "$((now + 3600))" +%Y-%m-%dT%H:%M:%SZ)
printf '{"Version": 1, "AccessKeyId": "ASIAEXAMPLEDEMO00001", "SecretAccessKey": "demo/secret/%s", "SessionToken": "demo-session-token", "Expiration": "%s"}\n' "$now" "$expires"
