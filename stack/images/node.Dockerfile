# Stand-in for the official node:24-trixie-slim: Node from the npm registry's official build, npm beside it,
# and the `node` user (uid 1000) the official image provides.
FROM debian:trixie-slim
COPY node.tgz npm.tgz /tmp/
RUN set -eux; \
    mkdir -p /usr/local/lib/node_modules/npm /tmp/node; \
    tar -xzf /tmp/node.tgz -C /tmp/node --strip-components=1; \
    install -m 0755 /tmp/node/bin/node /usr/local/bin/node; \
    tar -xzf /tmp/npm.tgz -C /usr/local/lib/node_modules/npm --strip-components=1; \
    ln -s ../lib/node_modules/npm/bin/npm-cli.js /usr/local/bin/npm; \
    ln -s ../lib/node_modules/npm/bin/npx-cli.js /usr/local/bin/npx; \
    rm -rf /tmp/node /tmp/node.tgz /tmp/npm.tgz; \
    groupadd --gid 1000 node; \
    useradd --uid 1000 --gid node --shell /bin/bash --create-home node; \
    node --version; npm --version
CMD ["node"]
