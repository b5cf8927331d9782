{{! y000000000000.boot: asked for only when <mac>.boot is missing, that is
    by a phone deskprov does not know (Yealink admin guide, boot files).  It
    lists no file, so such a phone gets no configuration at all; override it
    locally with etc/templates/y000000000000.boot.tpl to hand unknown phones
    something. }}
#!version:1.0.0.1
# deskprov: this phone is not in phones.yml; nothing to fetch
