{{<base}}
{{$keys}}
  <x2keys/>
{{>keys}}
{{/keys}}
{{/base}}
