//! Verification turned off while the image is built: a download without
//! TLS certificate checks, a package installed without its signature, a
//! runtime told to trust any certificate. Each is a way for whoever sits
//! between the builder and a mirror to put code into the image, and each
//! is one flag or one variable, so the checks are rows of two tables:
//!
//! * [`COMMANDS`]: a program (after `sudo`, `env`, variable assignments and
//!   `python -m`), optionally its sub-command, and the flag or words that
//!   turn verification off, in every `RUN`;
//! * [`VARIABLES`]: an environment variable and the values that turn it
//!   off, set by `ENV`, by an `ARG` default, or by `export`/an assignment
//!   in a `RUN`.
//!
//! A value written as `$VAR` or `${VAR}` is decided at build time: not
//! judged.

use crate::{commands, each_run, instructions, stages};
use rampart_policy::helpers::disables_certificate_checks;
use rampart_policy::{Context, Resource, Rule, Severity};

const HELP_URI: &str = "https://docs.docker.com/build/building/best-practices/";

/// What in a command turns verification off.
pub(crate) enum Matcher {
    /// A long flag (`--insecure`, or `--insecure=…`), or a letter in a
    /// cluster of short flags (`-fsSLk`).
    Flag {
        long: &'static [&'static str],
        short: Option<char>,
    },
    /// Any of these phrases in the command's words joined by single
    /// spaces, compared in lower case (`config set strict-ssl false`).
    Phrase(&'static [&'static str]),
    /// The program itself.
    Program,
}

/// A command that turns verification off.
pub(crate) struct CommandRow {
    pub id: &'static str,
    /// The program's name, with or without a directory.
    pub programs: &'static [&'static str],
    /// The sub-command the matcher applies to; empty for any.
    pub subcommands: &'static [&'static str],
    pub matcher: Matcher,
    pub title: &'static str,
    pub severity: Severity,
    pub description: &'static str,
    pub remediation: &'static str,
    /// The finding's message.
    pub message: &'static str,
    pub equivalents: &'static [&'static str],
}

/// An environment variable that turns verification off.
pub(crate) struct VariableRow {
    pub id: &'static str,
    /// One of [`UNVERIFIED_TLS_VARIABLES`](rampart_policy::helpers::UNVERIFIED_TLS_VARIABLES),
    /// whose values decide.
    pub name: &'static str,
    pub title: &'static str,
    pub severity: Severity,
    pub description: &'static str,
    pub remediation: &'static str,
    pub equivalents: &'static [&'static str],
}

/// Row `N` of [`COMMANDS`] as a rule.
pub(crate) const fn command_rule<const N: usize>() -> Rule {
    let row = &COMMANDS[N];
    Rule {
        id: row.id,
        title: row.title,
        description: row.description,
        severity: row.severity,
        help: "",
        help_uri: Some(HELP_URI),
        remediation: row.remediation,
        tags: &["security", "supply-chain"],
        compliance: &[],
        kinds: &["dockerfile"],
        equivalents: row.equivalents,
        check: command_check::<N>,
    }
}

/// Row `N` of [`VARIABLES`] as a rule.
pub(crate) const fn variable_rule<const N: usize>() -> Rule {
    let row = &VARIABLES[N];
    Rule {
        id: row.id,
        title: row.title,
        description: row.description,
        severity: row.severity,
        help: "",
        help_uri: Some(HELP_URI),
        remediation: row.remediation,
        tags: &["security", "supply-chain"],
        compliance: &[],
        kinds: &["dockerfile"],
        equivalents: row.equivalents,
        check: variable_check::<N>,
    }
}

/// A command's program and the words after it: `sudo`, `env`, leading
/// `NAME=value` assignments and `python -m` are looked through.
fn program_and_arguments(words: &[String]) -> Option<(&str, &[String])> {
    let mut rest = words;
    loop {
        let (first, tail) = rest.split_first()?;
        let is_assignment = first
            .split_once('=')
            .is_some_and(|(name, _)| !name.is_empty() && !name.starts_with('-'));
        if first == "sudo" || first == "env" || is_assignment {
            rest = tail;
            continue;
        }
        let program = first.rsplit('/').next().unwrap_or(first);
        if program.starts_with("python")
            && let [flag, module, arguments @ ..] = tail
            && flag == "-m"
        {
            return Some((module.as_str(), arguments));
        }
        return Some((program, tail));
    }
}

fn matches(row: &CommandRow, words: &[String]) -> bool {
    let Some((program, arguments)) = program_and_arguments(words) else {
        return false;
    };
    if !row.programs.is_empty() && !row.programs.contains(&program) {
        return false;
    }
    if !row.subcommands.is_empty() {
        let sub = arguments.iter().find(|word| !word.starts_with('-'));
        if !sub.is_some_and(|sub| row.subcommands.contains(&sub.as_str())) {
            return false;
        }
    }
    match &row.matcher {
        Matcher::Program => true,
        Matcher::Flag { long, short } => arguments.iter().any(|word| {
            let long_match = long.iter().any(|flag| {
                word == flag
                    || word
                        .strip_prefix(flag)
                        .is_some_and(|rest| rest.starts_with('='))
            });
            let short_match = short.is_some_and(|letter| {
                word.strip_prefix('-').is_some_and(|cluster| {
                    !cluster.starts_with('-')
                        && cluster.chars().all(|c| c.is_ascii_alphabetic())
                        && cluster.contains(letter)
                })
            });
            long_match || short_match
        }),
        Matcher::Phrase(phrases) => {
            let joined = arguments
                .iter()
                .map(|word| word.trim_matches(['"', '\'']).to_ascii_lowercase())
                .collect::<Vec<_>>()
                .join(" ");
            phrases.iter().any(|phrase| joined.contains(phrase))
        }
    }
}

fn command_check<const N: usize>(resource: &Resource, cx: &mut Context<'_>) {
    let row = &COMMANDS[N];
    each_run(resource, |run, text| {
        if commands(text).iter().any(|words| matches(row, words)) {
            cx.report(run, row.message);
        }
    });
}

fn variable_check<const N: usize>(resource: &Resource, cx: &mut Context<'_>) {
    let row = &VARIABLES[N];
    let name = row.name;
    let check_arg = |arg: &rampart_policy::Node<'_>, cx: &mut Context<'_>| {
        if arg.get("name").as_str() == Some(name)
            && arg
                .get("default")
                .as_str()
                .is_some_and(|value| disables_certificate_checks(name, value))
        {
            cx.report(
                arg,
                format!("ARG {name} defaults to a value that turns checks off"),
            );
        }
    };
    for arg in resource.root().get("args").items() {
        check_arg(&arg, cx);
    }
    for stage in stages(resource) {
        for arg in instructions(&stage, "ARG") {
            check_arg(&arg, cx);
        }
        for env in instructions(&stage, "ENV") {
            let bad = env.get("pairs").items().any(|pair| {
                pair.get("name").as_str() == Some(name)
                    && pair
                        .get("value")
                        .as_str()
                        .is_some_and(|value| disables_certificate_checks(name, value))
            });
            if bad {
                cx.report(&env, format!("ENV sets {name}, which turns checks off"));
            }
        }
    }
    let prefix = format!("{name}=");
    each_run(resource, |run, text| {
        let set = commands(text).iter().any(|words| {
            words.iter().any(|word| {
                word.strip_prefix(&prefix)
                    .is_some_and(|value| disables_certificate_checks(name, value))
            })
        });
        if set {
            cx.report(run, format!("RUN sets {name}, which turns checks off"));
        }
    });
}

/// The fields most rows leave as they are.
const COMMAND: CommandRow = CommandRow {
    id: "",
    programs: &[],
    subcommands: &[],
    matcher: Matcher::Program,
    title: "",
    severity: Severity::High,
    description: "",
    remediation: "",
    message: "",
    equivalents: &[],
};

/// Every command check, in rule order.
pub(crate) const COMMANDS: &[CommandRow] = &[
    CommandRow {
        id: "DF-019",
        programs: &["curl"],
        matcher: Matcher::Flag {
            long: &["--insecure"],
            short: Some('k'),
        },
        title: "curl without certificate checks",
        description: "`curl -k`/`--insecure` accepts any certificate: whoever is on the path \
                      between the builder and the server chooses what is downloaded into the \
                      image.",
        remediation: "Remove `-k`/`--insecure`; add the server's CA with `--cacert` if it is \
                      private.",
        message: "RUN downloads with curl --insecure",
        equivalents: &["checkov:CKV2_DOCKER_2"],
        ..COMMAND
    },
    CommandRow {
        id: "DF-020",
        programs: &["wget"],
        matcher: Matcher::Flag {
            long: &["--no-check-certificate"],
            short: None,
        },
        title: "wget without certificate checks",
        description: "`wget --no-check-certificate` accepts any certificate: whoever is on the \
                      path chooses what is downloaded into the image.",
        remediation: "Remove `--no-check-certificate`; add a private CA with `--ca-certificate`.",
        message: "RUN downloads with wget --no-check-certificate",
        equivalents: &["checkov:CKV2_DOCKER_3"],
        ..COMMAND
    },
    CommandRow {
        id: "DF-021",
        programs: &["pip", "pip3"],
        matcher: Matcher::Flag {
            long: &["--trusted-host"],
            short: None,
        },
        title: "pip trusts a host without TLS checks",
        description: "`--trusted-host` lets pip fetch packages from that host over plain HTTP \
                      or with any certificate.",
        remediation: "Serve the index over HTTPS with a valid certificate and remove \
                      `--trusted-host`.",
        message: "RUN runs pip with --trusted-host",
        equivalents: &["checkov:CKV2_DOCKER_4"],
        ..COMMAND
    },
    CommandRow {
        id: "DF-022",
        programs: &["apk"],
        matcher: Matcher::Flag {
            long: &["--allow-untrusted"],
            short: None,
        },
        title: "apk installs unsigned packages",
        description: "`apk --allow-untrusted` installs packages whose signature is missing or \
                      made by an unknown key.",
        remediation: "Remove `--allow-untrusted`; add the repository's key to /etc/apk/keys.",
        message: "RUN runs apk with --allow-untrusted",
        equivalents: &["checkov:CKV2_DOCKER_7"],
        ..COMMAND
    },
    CommandRow {
        id: "DF-023",
        programs: &["apt-get", "apt"],
        matcher: Matcher::Flag {
            long: &["--allow-unauthenticated", "--allow-insecure-repositories"],
            short: None,
        },
        title: "apt installs unauthenticated packages",
        description: "`--allow-unauthenticated` and `--allow-insecure-repositories` install \
                      packages that no trusted key has signed.",
        remediation: "Remove the flag; add the repository's key with `signed-by`.",
        message: "RUN runs apt-get with --allow-unauthenticated",
        equivalents: &["checkov:CKV2_DOCKER_8"],
        ..COMMAND
    },
    CommandRow {
        id: "DF-024",
        programs: &["yum", "dnf", "microdnf", "tdnf"],
        matcher: Matcher::Flag {
            long: &["--nogpgcheck"],
            short: None,
        },
        title: "yum or dnf skips signature checks",
        description: "`--nogpgcheck` installs packages without checking their GPG signatures.",
        remediation: "Remove `--nogpgcheck`; import the repository's key with `rpm --import`.",
        message: "RUN installs packages with --nogpgcheck",
        equivalents: &["checkov:CKV2_DOCKER_9"],
        ..COMMAND
    },
    CommandRow {
        id: "DF-025",
        programs: &["rpm"],
        matcher: Matcher::Flag {
            long: &["--nosignature", "--nodigest"],
            short: None,
        },
        title: "rpm skips signature checks",
        description: "`rpm --nosignature` (or `--nodigest`) installs a package without checking \
                      its signature or digest.",
        remediation: "Remove the flag; import the signing key with `rpm --import`.",
        message: "RUN runs rpm without signature checks",
        equivalents: &["checkov:CKV2_DOCKER_10"],
        ..COMMAND
    },
    CommandRow {
        id: "DF-026",
        programs: &["apt-get", "apt"],
        matcher: Matcher::Flag {
            long: &["--force-yes"],
            short: None,
        },
        title: "apt-get --force-yes",
        severity: Severity::Medium,
        description: "`--force-yes` answers yes to everything, including installing \
                      unauthenticated packages and downgrades.",
        remediation: "Use `-y` instead of `--force-yes`.",
        message: "RUN runs apt-get with --force-yes",
        equivalents: &["checkov:CKV2_DOCKER_11"],
        ..COMMAND
    },
    CommandRow {
        id: "DF-027",
        programs: &["npm", "yarn", "pnpm"],
        matcher: Matcher::Phrase(&[
            "config set strict-ssl false",
            "config set strict-ssl=false",
            "--strict-ssl=false",
            "--strict-ssl false",
        ]),
        title: "npm without certificate checks",
        description: "`strict-ssl false` makes npm (or yarn, pnpm) accept any registry \
                      certificate.",
        remediation: "Remove the setting; give a private registry's CA with `cafile`.",
        message: "RUN turns npm's strict-ssl off",
        equivalents: &["checkov:CKV2_DOCKER_13"],
        ..COMMAND
    },
    CommandRow {
        id: "DF-028",
        programs: &["git"],
        matcher: Matcher::Phrase(&[
            "http.sslverify false",
            "http.sslverify=false",
            "http.sslverify 0",
            "http.sslverify=0",
            "http.sslverify no",
            "http.sslverify=no",
            "http.sslverify off",
            "http.sslverify=off",
        ]),
        title: "git without certificate checks",
        description: "`http.sslVerify false` makes git accept any server certificate when it \
                      clones or fetches.",
        remediation: "Remove the setting; give a private server's CA with `http.sslCAInfo`.",
        message: "RUN turns git's http.sslVerify off",
        ..COMMAND
    },
    CommandRow {
        id: "DF-029",
        matcher: Matcher::Phrase(&["sslverify=false", "sslverify=0", "sslverify=no"]),
        title: "yum or dnf repository without certificate checks",
        description: "`sslverify=false` in a repository or in yum.conf/dnf.conf makes the \
                      package manager accept any mirror certificate.",
        remediation: "Remove `sslverify=false`; add a private mirror's CA with `sslcacert`.",
        message: "RUN sets sslverify=false",
        equivalents: &["checkov:CKV2_DOCKER_15"],
        ..COMMAND
    },
    CommandRow {
        id: "DF-030",
        programs: &["chpasswd"],
        title: "Password set with chpasswd",
        severity: Severity::Medium,
        description: "A password given to `chpasswd` in a RUN is stored in the image's history, \
                      and an account with a password invites logging in to a container.",
        remediation: "Do not give image accounts passwords; pass credentials at run time.",
        message: "RUN sets a password with chpasswd",
        equivalents: &["checkov:CKV2_DOCKER_17"],
        ..COMMAND
    },
];

/// The fields most rows leave as they are.
const VARIABLE: VariableRow = VariableRow {
    id: "",
    name: "",
    title: "",
    severity: Severity::High,
    description: "",
    remediation: "",
    equivalents: &[],
};

/// Every environment variable check, in rule order.
pub(crate) const VARIABLES: &[VariableRow] = &[
    VariableRow {
        id: "DF-031",
        name: "PYTHONHTTPSVERIFY",
        title: "Python told not to verify certificates",
        description: "`PYTHONHTTPSVERIFY=0` turns off certificate checks in Python's standard \
                      library for every HTTPS connection the image makes.",
        remediation: "Remove `PYTHONHTTPSVERIFY=0`; install a private CA in the image's trust \
                      store instead.",
        equivalents: &["checkov:CKV2_DOCKER_5"],
        ..VARIABLE
    },
    VariableRow {
        id: "DF-032",
        name: "NODE_TLS_REJECT_UNAUTHORIZED",
        title: "Node.js told not to verify certificates",
        description: "`NODE_TLS_REJECT_UNAUTHORIZED=0` makes Node.js accept any certificate on \
                      every TLS connection.",
        remediation: "Remove the variable; give a private CA with `NODE_EXTRA_CA_CERTS`.",
        equivalents: &["checkov:CKV2_DOCKER_6"],
        ..VARIABLE
    },
    VariableRow {
        id: "DF-033",
        name: "NPM_CONFIG_STRICT_SSL",
        title: "npm told not to verify certificates",
        description: "`NPM_CONFIG_STRICT_SSL=false` makes npm accept any registry certificate.",
        remediation: "Remove the variable; give a private registry's CA with \
                      `NPM_CONFIG_CAFILE`.",
        equivalents: &["checkov:CKV2_DOCKER_12"],
        ..VARIABLE
    },
    VariableRow {
        id: "DF-034",
        name: "GIT_SSL_NO_VERIFY",
        title: "git told not to verify certificates",
        description: "git skips certificate checks whenever `GIT_SSL_NO_VERIFY` is set, \
                      whatever its value.",
        remediation: "Remove the variable; give a private server's CA with `GIT_SSL_CAINFO`.",
        equivalents: &["checkov:CKV2_DOCKER_14"],
        ..VARIABLE
    },
    VariableRow {
        id: "DF-035",
        name: "PIP_TRUSTED_HOST",
        title: "pip trusts a host through the environment",
        description: "`PIP_TRUSTED_HOST` lets pip fetch packages from that host over plain \
                      HTTP or with any certificate.",
        remediation: "Serve the index over HTTPS with a valid certificate and remove the \
                      variable.",
        equivalents: &["checkov:CKV2_DOCKER_16"],
        ..VARIABLE
    },
];
