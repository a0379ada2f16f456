# -*- encoding: utf-8 -*-
Gem::Specification.new do |s|
  s.name = "rake".freeze
  s.version = "13.0.6"
  s.licenses = ["MIT".freeze]
  s.description = <<~DESC
    text
  DESC
  other.name = %q{x}
  s.version = Gem::Version.new("1.0"); s.license = 'MIT' end
=begin
=end
