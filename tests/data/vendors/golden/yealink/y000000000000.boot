#!version:1.0.0.1
# deskprov: this phone is not in phones.yml; nothing to fetch
