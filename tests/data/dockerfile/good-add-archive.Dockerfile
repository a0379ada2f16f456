# expect: none
FROM debian:12.5-slim
ADD rootfs.tar.xz /
ADD --checksum=sha256:24454f830cdb571e2c4ad15481119c43b3cafd48dd869a9b2945d1036d1dc68d https://example.com/x.tar /x.tar
ADD <<EOF /etc/motd
hello
EOF
COPY app /app
USER app
HEALTHCHECK CMD ["true"]
CMD ["app"]
