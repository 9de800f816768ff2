"""A demo news web on 127.0.0.1 and a run of the whole pipeline on it: `make demo`.

Four outlets (three Indonesian, one English) cover the same three events in their own words,
behind the usual boilerplate (menus, "Baca juga", share bars, related lists, footers), with
feeds, a sitemap and robots.txt. Nothing leaves the machine. README.md, "Try it offline".
"""
