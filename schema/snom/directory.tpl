{{! <MAC>-tbook.xml: the phone book (Snom wiki "<tbook>,<phone-book> tag",
    https://service.snom.com/display/wiki/%3Ctbook%3E%2C%3Cphone-book%3E+tag).
    The version 1 form every firmware of the pack reads: one <item> per
    number, index unique and counted from 0; complete="true" makes the phone
    drop entries it has that the list no longer holds.  context="active":
    dial with the identity in use.  One line per item: 10,000 contacts of
    two numbers stay within the render limit. }}
<?xml version="1.0" encoding="utf-8"?>
<tbook e="2" complete="true">
{{#directory}}
{{#numbers}}
  <item context="active" type="none" index="{{item0}}"><name>{{name}}</name><number>{{number}}</number><number_type>{{type_code}}</number_type>{{#group}}<group>{{group}}</group>{{/group}}</item>
{{/numbers}}
{{/directory}}
</tbook>
