; C: the tags of c_tags.scm (shared with Objective-C), then the names of c_names.scm,
; which come last so that every other pattern takes precedence over them.
; inherits: c_tags
; inherits: c_names
