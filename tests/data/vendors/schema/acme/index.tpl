acme index for {{phone.MAC}}
acme-{{phone.mac}}.xml
