# expect: none
FROM debian:12.5-slim
COPY --chmod=0755 run.sh /usr/local/bin/run
ADD --chmod=644 app.tar.gz /opt/
RUN chmod u-s,g-s /usr/bin/chfn \
 && chmod 0755 /usr/local/bin/run \
 && chmod 644 /etc/app.conf \
 && chmod +w /etc/app.conf \
 && chmod -R u+rwX,go+rX /opt/app \
 && chmod o+s /opt/app/bin \
 && chmod 1777 /tmp /var/tmp /dev/shm/app \
 && chmod a+rwxt /tmp/cache \
 && chmod o+w /tmp \
 && chmod +t /srv \
 && chmod g=u /opt/app/data \
 && chmod "$MODE" /opt/app/x \
 && chmod --reference=/bin/ls /opt/app/y \
 && chmod -w,u+sq /bad-mode \
 && echo "chmod 4755 /x and chmod 777 /y" \
 && stat -c %a /u+s
USER app
HEALTHCHECK CMD ["true"]
CMD ["app"]
