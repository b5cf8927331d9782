{{! phonebook.xml: the phonebook P331 points at (Grandstream "XML
    Phonebook Guide"; the element names as FusionPBX's
    resources/templates/provision/grandstream/gxp2170/phonebook.xml writes
    them).  Groups are <pbgroup> entries numbered from 1, a contact names
    its group by that number; accountindex 0 dials with account 1.  One
    line per contact: 10,000 of them stay within the render limit. }}
<?xml version="1.0" encoding="UTF-8"?>
<AddressBook>
{{#directory_groups}}
<pbgroup><id>{{id}}</id><name>{{name}}</name></pbgroup>
{{/directory_groups}}
{{#directory}}
<Contact><LastName>{{last_name}}</LastName><FirstName>{{first_name}}</FirstName>{{#numbers}}<Phone type="{{type_code}}"><phonenumber>{{number}}</phonenumber><accountindex>0</accountindex></Phone>{{/numbers}}{{#group_id}}<Group>{{group_id}}</Group>{{/group_id}}</Contact>
{{/directory}}
</AddressBook>
