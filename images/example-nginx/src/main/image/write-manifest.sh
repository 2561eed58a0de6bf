# Generates manifest.json from what was installed: the image's version is nginx's package version.
set -eu
version=$(dpkg-query -W -f='${Version}' nginx-light)
cat > manifest.json <<JSON
{
  "acKind": "ImageManifest",
  "acVersion": "0.8.11",
  "name": "dev.jetpack.images/example-nginx",
  "labels": [{"name": "version", "value": "${version}"}],
  "app": {
    "exec": ["/usr/sbin/nginx", "-g", "daemon off;"],
    "user": "0",
    "group": "0",
    "ports": [{"name": "http", "protocol": "tcp", "port": 80}],
    "mountPoints": [{"name": "html", "path": "/var/www/html", "readOnly": true}]
  }
}
JSON
