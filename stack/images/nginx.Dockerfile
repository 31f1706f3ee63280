# Stand-in for the official nginx:stable-trixie: trixie's nginx with the official image's layout — the `nginx`
# user, /etc/nginx/conf.d, logs to stdout/stderr, foreground process, graceful stop on SIGQUIT.
FROM debian:trixie-slim
RUN set -eux; \
    apt-get update; \
    apt-get install -y --no-install-recommends nginx; \
    rm -rf /var/lib/apt/lists/* /etc/nginx/sites-enabled /etc/nginx/sites-available; \
    groupadd --system --gid 101 nginx; \
    useradd --system --uid 101 --gid nginx --no-create-home --home /nonexistent --shell /bin/false nginx; \
    mkdir -p /etc/nginx/conf.d /var/cache/nginx /usr/share/nginx/html; \
    sed -i 's/^user .*/user nginx;/; s#include /etc/nginx/sites-enabled/\*;##' /etc/nginx/nginx.conf; \
    ln -sf /dev/stdout /var/log/nginx/access.log; \
    ln -sf /dev/stderr /var/log/nginx/error.log; \
    nginx -v
EXPOSE 80
STOPSIGNAL SIGQUIT
CMD ["nginx", "-g", "daemon off;"]
