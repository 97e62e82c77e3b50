# Build and install assay with its shell completions and man page (README, "Install"):
#   make install                                 # into /usr/local
#   make install PREFIX=$HOME/.local             # no root needed
#   make install DESTDIR=/tmp/stage PREFIX=/usr  # staged, for a distribution package
#   make install SWIFTFLAGS=--static-swift-stdlib  # a binary that runs where Swift is not installed
# The binary carries its default target, suites and profiles, so it runs from any directory.
PREFIX ?= /usr/local
CONFIGURATION ?= release
SWIFT ?= swift
SWIFTFLAGS ?=

BUILD_DIR := .build/$(CONFIGURATION)
# Where swift-argument-parser's generate-manual plugin writes the page.
MAN_PAGE := .build/plugins/GenerateManual/outputs/assay/assay.1
BIN_DIR := $(DESTDIR)$(PREFIX)/bin
SHARE_DIR := $(DESTDIR)$(PREFIX)/share

.PHONY: all build man install uninstall

all: build

build:
	$(SWIFT) build -c $(CONFIGURATION) $(SWIFTFLAGS) --product assay

# The man page is generated from the command definitions, so it always matches the binary.
man: build
	$(SWIFT) package plugin generate-manual --configuration $(CONFIGURATION)

install: build man
	install -d $(BIN_DIR) $(SHARE_DIR)/man/man1 $(SHARE_DIR)/bash-completion/completions \
		$(SHARE_DIR)/zsh/site-functions $(SHARE_DIR)/fish/vendor_completions.d
	install -m 755 $(BUILD_DIR)/assay $(BIN_DIR)/assay
	install -m 644 $(MAN_PAGE) $(SHARE_DIR)/man/man1/assay.1
	$(BUILD_DIR)/assay --generate-completion-script bash > $(SHARE_DIR)/bash-completion/completions/assay
	$(BUILD_DIR)/assay --generate-completion-script zsh > $(SHARE_DIR)/zsh/site-functions/_assay
	$(BUILD_DIR)/assay --generate-completion-script fish > $(SHARE_DIR)/fish/vendor_completions.d/assay.fish

uninstall:
	rm -f $(BIN_DIR)/assay $(SHARE_DIR)/man/man1/assay.1 $(SHARE_DIR)/bash-completion/completions/assay \
		$(SHARE_DIR)/zsh/site-functions/_assay $(SHARE_DIR)/fish/vendor_completions.d/assay.fish
