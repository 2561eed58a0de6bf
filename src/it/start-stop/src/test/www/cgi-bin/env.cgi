#!/bin/sh
# The app's environment as the POM's <environment> set it (busybox httpd passes its own environment on).
printf 'Content-Type: text/plain\r\n\r\n'
echo "greeting=$GREETING"
