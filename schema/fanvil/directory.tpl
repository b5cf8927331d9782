{{! <mac>-phonebook.xml: <PhoneBook> with one <DirectoryEntry> per
    contact, the element names of wazo-phoned's fanvil_results_v2.jinja
    (https://github.com/wazo-platform/wazo-phoned, plugins/fanvil).  A
    contact has three slots: Telephone (its work number, else its other
    one), Mobile, Other (home). }}
<?xml version="1.0" encoding="UTF-8"?>
<PhoneBook>
{{#directory}}
<DirectoryEntry>
    <Name>{{name}}</Name>
    <Telephone>{{#work}}{{.}}{{/work}}{{^work}}{{#other}}{{.}}{{/other}}{{/work}}</Telephone>
    <Mobile>{{#mobile}}{{.}}{{/mobile}}</Mobile>
    <Other>{{#home}}{{.}}{{/home}}</Other>
    <Ring>Default</Ring>
    <Group>{{#group}}{{.}}{{/group}}</Group>
</DirectoryEntry>
{{/directory}}
</PhoneBook>
