# expect: DKR-005@4
FROM ubuntu:22.04
USER app
RUN sudo -u root -E make install
HEALTHCHECK CMD ["true"]
CMD ["app"]
