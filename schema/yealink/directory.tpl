{{! <mac>-phonebook.xml: the phone's remote phonebook, the file
    remote_phonebook.data.1.url names.  <YealinkIPPhoneDirectory> with one
    <DirectoryEntry> per contact, each number a <Telephone> (Yealink
    "Remote Phone Book" format, as wazo-dird's yealink view and the public
    generators in docs/vendors/yealink.md write it). }}
<?xml version="1.0" encoding="UTF-8"?>
<YealinkIPPhoneDirectory>
{{#directory}}
  <DirectoryEntry>
    <Name>{{name}}</Name>
{{#numbers}}
    <Telephone>{{number}}</Telephone>
{{/numbers}}
  </DirectoryEntry>
{{/directory}}
</YealinkIPPhoneDirectory>
