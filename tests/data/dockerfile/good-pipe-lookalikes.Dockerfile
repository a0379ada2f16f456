# expect: none
FROM debian:12.5-slim
RUN curl -fsSL https://example.com/tool.tar.gz | tar -xz -C /usr/local/bin
RUN curl -s https://api.example.com/v1/version | python3 -c 'import json,sys; print(json.load(sys.stdin))'
RUN curl -fsSLo /tmp/install.sh https://example.com/install.sh \
 && echo "0123abcd  /tmp/install.sh" | sha256sum -c - \
 && sh /tmp/install.sh && rm /tmp/install.sh
RUN echo "curl https://x | sh" > /usr/share/doc/notes.txt
USER app
HEALTHCHECK CMD ["true"]
CMD ["app"]
