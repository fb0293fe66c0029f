//! Package managers used so that a build is repeatable and its layers
//! small: installs that do not wait for a prompt, name the versions they
//! install, and clean the cache in the same layer. hadolint's catalogue
//! (DL3008–DL3041) checks these for each manager; they differ in the
//! manager, its install verb and its syntax only, so each is a row of
//! [`ROWS`], judged by one function.
//!
//! A package argument is a word after the install verb that is not a
//! flag, nor a flag's value, nor a file, URL or `$VARIABLE`: those install
//! what they name, or are decided at build time, and are never judged.

use crate::{commands, each_run};
use rampart_policy::{Context, Resource, Rule, Severity};

/// How a manager's package argument names a version.
#[derive(Clone, Copy)]
pub(crate) enum Pin {
    /// `name=1.2` (apt), or with `~`, `<`, `>` (apk, zypper).
    Operator,
    /// `name==1.2`, any PEP 440 specifier, or `name @ url`.
    Pip,
    /// `name@1.2`, `@scope/name@1.2`.
    Npm,
    /// `name:1.2`, or `-v`/`--version` for the command.
    Gem,
    /// `name-1.2` (a dash followed by a digit).
    Rpm,
}

/// What a row requires of an install.
pub(crate) enum Require {
    /// A flag that answers the prompt: a long flag, a letter in a short
    /// cluster, or a phrase in the joined words (`-o APT::Get::Assume-Yes=true`).
    Flag {
        long: &'static [&'static str],
        short: &'static [char],
        phrase: Option<&'static str>,
    },
    /// Every package argument names a version.
    Pinned(Pin),
    /// The same RUN removes the cache: one of these phrases in its text,
    /// or a cache mount (`--mount=type=cache`) on `cache`.
    Cleans {
        phrases: &'static [&'static str],
        cache: &'static str,
    },
    /// The program is the wrong one for scripts (any sub-command).
    Avoid,
}

/// One check of one package manager.
pub(crate) struct PackageRow {
    pub id: &'static str,
    pub programs: &'static [&'static str],
    /// The install verbs; empty for any sub-command.
    pub verbs: &'static [&'static str],
    pub require: Require,
    /// Flags of the install that take the next word as their value.
    pub valued: &'static [&'static str],
    pub title: &'static str,
    pub description: &'static str,
    pub remediation: &'static str,
    /// hadolint's rule, for the documentation link.
    pub hadolint: &'static str,
    pub equivalents: &'static [&'static str],
}

/// Row `N` of [`ROWS`] as a rule.
pub(crate) const fn rule<const N: usize>() -> Rule {
    let row = &ROWS[N];
    Rule {
        id: row.id,
        title: row.title,
        description: row.description,
        severity: Severity::Low,
        help: "",
        help_uri: Some(row.hadolint),
        remediation: row.remediation,
        tags: &["hygiene", "reproducibility"],
        compliance: &[],
        kinds: &["dockerfile"],
        equivalents: row.equivalents,
        check: check::<N>,
    }
}

/// The words of a command after `sudo`, `env` and leading assignments,
/// when its program is one of `programs`.
fn invocation<'w>(words: &'w [String], programs: &[&str]) -> Option<(&'w str, &'w [String])> {
    let start = words.iter().position(|word| {
        let is_assignment = word
            .split_once('=')
            .is_some_and(|(name, _)| !name.is_empty() && !name.starts_with('-'));
        word != "sudo" && word != "env" && !is_assignment
    })?;
    let (program, arguments) = words[start..].split_first()?;
    let name = program.rsplit('/').next().unwrap_or(program);
    programs.contains(&name).then_some((name, arguments))
}

/// The install verb's position among the arguments, when the command
/// installs (the first word that is not a flag).
fn verb_position(arguments: &[String], verbs: &[&str]) -> Option<usize> {
    let position = arguments.iter().position(|word| !word.starts_with('-'))?;
    (verbs.is_empty() || verbs.contains(&arguments[position].as_str())).then_some(position)
}

fn has_flag(arguments: &[String], long: &[&str], short: &[char]) -> bool {
    arguments.iter().any(|word| {
        let long_match = long.iter().any(|flag| {
            word == flag
                || word
                    .strip_prefix(flag)
                    .is_some_and(|rest| rest.starts_with('='))
        });
        let short_match = word.strip_prefix('-').is_some_and(|cluster| {
            !cluster.starts_with('-')
                && cluster.chars().all(|c| c.is_ascii_alphabetic())
                && short.iter().any(|letter| cluster.contains(*letter))
        });
        long_match || short_match
    })
}

/// The package arguments after the verb (see the module's comment).
fn packages<'w>(after_verb: &'w [String], valued: &[&str]) -> Vec<&'w str> {
    let mut out = Vec::new();
    let mut words = after_verb.iter();
    while let Some(word) = words.next() {
        if word.starts_with('-') {
            if !word.contains('=') && valued.contains(&word.as_str()) {
                words.next();
            }
            continue;
        }
        let word = word.trim_matches(['"', '\'']);
        let is_file = word.starts_with(['/', '.', '~'])
            || word.contains("://")
            || [
                ".deb", ".rpm", ".apk", ".whl", ".tar.gz", ".tgz", ".zip", ".gem",
            ]
            .iter()
            .any(|suffix| word.ends_with(suffix));
        let is_redirection =
            word.starts_with(['>', '<']) || word.chars().all(|c| c.is_ascii_digit());
        if word.is_empty() || word.contains('$') || is_file || is_redirection {
            continue;
        }
        out.push(word);
    }
    out
}

fn is_pinned(pin: Pin, package: &str) -> bool {
    match pin {
        Pin::Operator => package.contains(['=', '~', '<', '>']),
        Pin::Pip => package.contains(['=', '~', '<', '>', '@', '!']),
        Pin::Npm => {
            package.strip_prefix('@').unwrap_or(package).contains('@')
                || package.starts_with("git+")
                || package.starts_with("github:")
        }
        Pin::Gem => package.contains(':'),
        Pin::Rpm => {
            package
                .as_bytes()
                .windows(2)
                .any(|pair| pair[0] == b'-' && pair[1].is_ascii_digit())
                || package.starts_with('@')
        }
    }
}

/// Up to three names, for a message.
fn some_of(names: &[&str]) -> String {
    let shown: Vec<&str> = names.iter().take(3).copied().collect();
    let more = names.len().saturating_sub(3);
    if more > 0 {
        format!("{} and {more} more", shown.join(", "))
    } else {
        shown.join(", ")
    }
}

fn check<const N: usize>(resource: &Resource, cx: &mut Context<'_>) {
    let row = &ROWS[N];
    each_run(resource, |run, text| {
        for words in commands(text) {
            let Some((program, arguments)) = invocation(&words, row.programs) else {
                continue;
            };
            let Some(verb_at) = verb_position(arguments, row.verbs) else {
                continue;
            };
            let verb = arguments[verb_at].as_str();
            let message = match &row.require {
                Require::Avoid => Some(format!(
                    "RUN uses `{program} {verb}`; use apt-get in scripts"
                )),
                Require::Flag {
                    long,
                    short,
                    phrase,
                } => {
                    let joined = arguments.join(" ").to_ascii_lowercase();
                    let answered = has_flag(arguments, long, short)
                        || phrase.is_some_and(|phrase| joined.contains(phrase));
                    (!answered).then(|| {
                        format!(
                            "`{program} {verb}` without `{}`",
                            long.first().unwrap_or(&"")
                        )
                    })
                }
                Require::Pinned(pin) => {
                    let gem_versioned =
                        matches!(pin, Pin::Gem) && has_flag(arguments, &["--version"], &['v']);
                    let unpinned: Vec<&str> = packages(&arguments[verb_at + 1..], row.valued)
                        .into_iter()
                        .filter(|package| !is_pinned(*pin, package))
                        .collect();
                    (!gem_versioned && !unpinned.is_empty()).then(|| {
                        format!(
                            "`{program} {verb}` does not pin the version of {}",
                            some_of(&unpinned)
                        )
                    })
                }
                Require::Cleans { phrases, cache } => {
                    let lower = text.to_ascii_lowercase();
                    let cleaned = phrases.iter().any(|phrase| lower.contains(phrase));
                    let mounted = run
                        .get("flags")
                        .get("mount")
                        .as_str()
                        .is_some_and(|mount| mount.contains(cache));
                    (!cleaned && !mounted).then(|| {
                        format!(
                            "`{program} {verb}` without `{}` in the same RUN",
                            phrases.first().unwrap_or(&"")
                        )
                    })
                }
            };
            if let Some(message) = message {
                cx.report(run, message);
                return;
            }
        }
    });
}

const APT_VALUED: &[&str] = &["-o", "-t", "--target-release", "-c", "--config-file"];
const APK_VALUED: &[&str] = &[
    "-t",
    "--virtual",
    "-X",
    "--repository",
    "--repositories-file",
    "-p",
    "--root",
];
const PIP_VALUED: &[&str] = &[
    "-r",
    "--requirement",
    "-c",
    "--constraint",
    "-e",
    "--editable",
    "-i",
    "--index-url",
    "--extra-index-url",
    "-f",
    "--find-links",
    "-t",
    "--target",
    "--prefix",
    "--root",
    "--platform",
    "--python-version",
    "--trusted-host",
    "--cache-dir",
    "--src",
];
const NPM_VALUED: &[&str] = &["--prefix", "--registry", "--cache", "-w", "--workspace"];
const GEM_VALUED: &[&str] = &["-i", "--install-dir", "-n", "--bindir", "-s", "--source"];
const RPM_VALUED: &[&str] = &[
    "--enablerepo",
    "--disablerepo",
    "--setopt",
    "--installroot",
    "--releasever",
    "-x",
    "--exclude",
    "-c",
    "--config",
];
const ZYPPER_VALUED: &[&str] = &["-r", "--repo", "--from", "-t", "--type"];

/// The fields most rows leave as they are.
const ROW: PackageRow = PackageRow {
    id: "",
    programs: &[],
    verbs: &[],
    require: Require::Avoid,
    valued: &[],
    title: "",
    description: "",
    remediation: "",
    hadolint: "",
    equivalents: &[],
};

/// Every package-manager check, in rule order.
pub(crate) const ROWS: &[PackageRow] = &[
    PackageRow {
        id: "DF-036",
        programs: &["apt-get"],
        verbs: &["install"],
        require: Require::Flag {
            long: &["-y", "--yes", "--assume-yes"],
            short: &['y'],
            phrase: Some("assume-yes=true"),
        },
        title: "apt-get install waits for a prompt",
        description: "Without `-y`, `apt-get install` asks for confirmation, and a build \
                      without a terminal fails or depends on how apt-get reads no answer.",
        remediation: "Use `apt-get install -y`.",
        hadolint: "https://github.com/hadolint/hadolint/wiki/DL3014",
        equivalents: &["trivy:DS-0021", "hadolint:DL3014"],
        ..ROW
    },
    PackageRow {
        id: "DF-037",
        programs: &["apt-get"],
        verbs: &["install"],
        require: Require::Pinned(Pin::Operator),
        valued: APT_VALUED,
        title: "apt-get install without versions",
        description: "Packages installed without a version are whatever the mirror has on \
                      the day of the build: two builds of one Dockerfile differ.",
        remediation: "Pin each package: `apt-get install -y curl=7.88.1-10+deb12u8`.",
        hadolint: "https://github.com/hadolint/hadolint/wiki/DL3008",
        equivalents: &["hadolint:DL3008"],
    },
    PackageRow {
        id: "DF-038",
        programs: &["apk"],
        verbs: &["add"],
        require: Require::Pinned(Pin::Operator),
        valued: APK_VALUED,
        title: "apk add without versions",
        description: "Packages added without a version are whatever the repository has on \
                      the day of the build.",
        remediation: "Pin each package: `apk add --no-cache curl=8.9.1-r1` (or `~8.9`).",
        hadolint: "https://github.com/hadolint/hadolint/wiki/DL3018",
        equivalents: &["hadolint:DL3018"],
    },
    PackageRow {
        id: "DF-039",
        programs: &["pip", "pip3"],
        verbs: &["install"],
        require: Require::Pinned(Pin::Pip),
        valued: PIP_VALUED,
        title: "pip install without versions",
        description: "Packages installed without a version specifier are the newest on the \
                      index at build time, including a malicious release.",
        remediation: "Pin each package (`flask==3.0.3`) or install from a requirements file \
                      with hashes.",
        hadolint: "https://github.com/hadolint/hadolint/wiki/DL3013",
        equivalents: &["hadolint:DL3013"],
    },
    PackageRow {
        id: "DF-040",
        programs: &["npm"],
        verbs: &["install", "i", "add"],
        require: Require::Pinned(Pin::Npm),
        valued: NPM_VALUED,
        title: "npm install without versions",
        description: "A package named without a version is the newest on the registry at \
                      build time, including a malicious release.",
        remediation: "Pin each package (`npm install -g typescript@5.6.3`), or install from \
                      package-lock.json with `npm ci`.",
        hadolint: "https://github.com/hadolint/hadolint/wiki/DL3016",
        equivalents: &["hadolint:DL3016"],
    },
    PackageRow {
        id: "DF-041",
        programs: &["gem"],
        verbs: &["install"],
        require: Require::Pinned(Pin::Gem),
        valued: GEM_VALUED,
        title: "gem install without versions",
        description: "A gem installed without a version is the newest on the source at build \
                      time.",
        remediation: "Pin each gem: `gem install bundler:2.5.22` or `-v 2.5.22`.",
        hadolint: "https://github.com/hadolint/hadolint/wiki/DL3028",
        equivalents: &["hadolint:DL3028"],
    },
    PackageRow {
        id: "DF-042",
        programs: &["yum"],
        verbs: &["install", "groupinstall", "localinstall"],
        require: Require::Flag {
            long: &["-y", "--assumeyes"],
            short: &['y'],
            phrase: None,
        },
        title: "yum install waits for a prompt",
        description: "Without `-y`, `yum install` asks for confirmation and the build fails.",
        remediation: "Use `yum install -y`.",
        hadolint: "https://github.com/hadolint/hadolint/wiki/DL3030",
        equivalents: &["hadolint:DL3030"],
        ..ROW
    },
    PackageRow {
        id: "DF-043",
        programs: &["yum"],
        verbs: &["install"],
        require: Require::Pinned(Pin::Rpm),
        valued: RPM_VALUED,
        title: "yum install without versions",
        description: "Packages installed without a version are whatever the mirror has on the \
                      day of the build.",
        remediation: "Pin each package: `yum install -y httpd-2.4.57`.",
        hadolint: "https://github.com/hadolint/hadolint/wiki/DL3033",
        equivalents: &["hadolint:DL3033"],
    },
    PackageRow {
        id: "DF-044",
        programs: &["yum"],
        verbs: &["install", "groupinstall", "localinstall"],
        require: Require::Cleans {
            phrases: &["yum clean all", "rm -rf /var/cache/yum"],
            cache: "/var/cache/yum",
        },
        title: "yum cache left in the layer",
        description: "`yum install` leaves its metadata and package cache in the layer unless \
                      the same RUN cleans it.",
        remediation: "End the RUN with `&& yum clean all && rm -rf /var/cache/yum`.",
        hadolint: "https://github.com/hadolint/hadolint/wiki/DL3032",
        equivalents: &["trivy:DS-0015", "hadolint:DL3032"],
        ..ROW
    },
    PackageRow {
        id: "DF-045",
        programs: &["dnf"],
        verbs: &["install", "groupinstall", "module"],
        require: Require::Flag {
            long: &["-y", "--assumeyes"],
            short: &['y'],
            phrase: None,
        },
        title: "dnf install waits for a prompt",
        description: "Without `-y`, `dnf install` asks for confirmation and the build fails.",
        remediation: "Use `dnf install -y`.",
        hadolint: "https://github.com/hadolint/hadolint/wiki/DL3038",
        equivalents: &["hadolint:DL3038"],
        ..ROW
    },
    PackageRow {
        id: "DF-046",
        programs: &["dnf", "microdnf"],
        verbs: &["install"],
        require: Require::Pinned(Pin::Rpm),
        valued: RPM_VALUED,
        title: "dnf install without versions",
        description: "Packages installed without a version are whatever the mirror has on the \
                      day of the build.",
        remediation: "Pin each package: `dnf install -y httpd-2.4.57`.",
        hadolint: "https://github.com/hadolint/hadolint/wiki/DL3041",
        equivalents: &["hadolint:DL3041"],
    },
    PackageRow {
        id: "DF-047",
        programs: &["dnf", "microdnf"],
        verbs: &["install", "groupinstall"],
        require: Require::Cleans {
            phrases: &[
                "dnf clean all",
                "microdnf clean all",
                "rm -rf /var/cache/dnf",
            ],
            cache: "/var/cache/dnf",
        },
        title: "dnf cache left in the layer",
        description: "`dnf install` leaves its metadata and package cache in the layer unless \
                      the same RUN cleans it.",
        remediation: "End the RUN with `&& dnf clean all`.",
        hadolint: "https://github.com/hadolint/hadolint/wiki/DL3040",
        equivalents: &["trivy:DS-0019", "hadolint:DL3040"],
        ..ROW
    },
    PackageRow {
        id: "DF-048",
        programs: &["zypper"],
        verbs: &["install", "in"],
        require: Require::Flag {
            long: &["-n", "--non-interactive", "-y", "--no-confirm"],
            short: &['n', 'y'],
            phrase: None,
        },
        title: "zypper install waits for a prompt",
        description: "Without `-n` (or `-y`), `zypper install` asks for confirmation and the \
                      build fails.",
        remediation: "Use `zypper -n install` or `zypper install -y`.",
        hadolint: "https://github.com/hadolint/hadolint/wiki/DL3034",
        equivalents: &["hadolint:DL3034"],
        ..ROW
    },
    PackageRow {
        id: "DF-049",
        programs: &["zypper"],
        verbs: &["install", "in"],
        require: Require::Pinned(Pin::Operator),
        valued: ZYPPER_VALUED,
        title: "zypper install without versions",
        description: "Packages installed without a version are whatever the repository has on \
                      the day of the build.",
        remediation: "Pin each package: `zypper -n install curl=8.6.0`.",
        hadolint: "https://github.com/hadolint/hadolint/wiki/DL3037",
        equivalents: &["hadolint:DL3037"],
    },
    PackageRow {
        id: "DF-050",
        programs: &["zypper"],
        verbs: &["install", "in"],
        require: Require::Cleans {
            phrases: &["zypper clean", "zypper cc", "rm -rf /var/cache/zypp"],
            cache: "/var/cache/zypp",
        },
        title: "zypper cache left in the layer",
        description: "`zypper install` leaves its package cache in the layer unless the same \
                      RUN cleans it.",
        remediation: "End the RUN with `&& zypper clean --all`.",
        hadolint: "https://github.com/hadolint/hadolint/wiki/DL3036",
        equivalents: &["trivy:DS-0020", "hadolint:DL3036"],
        ..ROW
    },
    PackageRow {
        id: "DF-051",
        programs: &["apt"],
        require: Require::Avoid,
        title: "apt used instead of apt-get",
        description: "`apt` is the interactive front end: its output and behaviour may change \
                      between releases and it warns that it has no stable interface for \
                      scripts.",
        remediation: "Use `apt-get` (and `apt-cache`) in RUN.",
        hadolint: "https://github.com/hadolint/hadolint/wiki/DL3027",
        equivalents: &["checkov:CKV_DOCKER_9", "hadolint:DL3027"],
        ..ROW
    },
];
