# What cargo-auditable links in: a non-alloc .dep-v0 section (flags "")
# holding zlib-compressed JSON, with a symbol the linker is told to keep.
	.section .dep-v0,"",@progbits
	.globl AUDITABLE_VERSION_INFO
AUDITABLE_VERSION_INFO:
	.incbin "dep.z"
