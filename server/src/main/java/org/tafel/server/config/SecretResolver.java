package org.tafel.server.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Resolves secret references: {@code secret://file/PATH} (PATH is absolute: {@code
 * secret://file/run/secrets/turn} reads {@code /run/secrets/turn}) and {@code secret://env/NAME}.
 * The value is the file's or variable's text with trailing whitespace removed, as coturn reads
 * {@code static-auth-secret}.
 */
public final class SecretResolver {
  public static final String FILE_PREFIX = "secret://file/";
  public static final String ENV_PREFIX = "secret://env/";
  static final String EXPECTATION = "secret://file/PATH or secret://env/NAME";
  private static final Pattern ENV_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

  private final Function<String, String> environment;

  /** Reads environment variables through {@code environment} (tests pass a map's {@code get}). */
  public SecretResolver(Function<String, String> environment) {
    this.environment = Objects.requireNonNull(environment, "environment");
  }

  public static SecretResolver system() {
    return new SecretResolver(System::getenv);
  }

  /** True when {@code text} is written as a reference rather than a literal value. */
  public static boolean isReference(String text) {
    return text.startsWith("secret://");
  }

  /**
   * Resolves {@code reference}, naming {@code key} in every error. A literal value is refused
   * without repeating it.
   */
  public Secret resolve(String key, String reference) {
    if (reference.startsWith(FILE_PREFIX)) {
      String rest = reference.substring(FILE_PREFIX.length());
      if (rest.isEmpty()) {
        throw ConfigException.invalid(key, reference, "secret://file/PATH with a file path");
      }
      return readFile(key, Path.of("/" + rest), reference);
    }
    if (reference.startsWith(ENV_PREFIX)) {
      String name = reference.substring(ENV_PREFIX.length());
      if (!ENV_NAME.matcher(name).matches()) {
        throw ConfigException.invalid(
            key, reference, "secret://env/NAME with NAME like TURN_SECRET");
      }
      String value = environment.apply(name);
      String trimmed = value == null ? "" : value.stripTrailing();
      if (trimmed.isEmpty()) {
        throw ConfigException.invalid(
            key, reference + " is not set", "a non-empty environment variable " + name);
      }
      return new Secret(trimmed.getBytes(StandardCharsets.UTF_8), reference);
    }
    if (isReference(reference)) {
      throw ConfigException.invalid(key, reference, EXPECTATION);
    }
    throw ConfigException.invalid(
        key, "a literal secret (not shown)", EXPECTATION + "; literal secrets are refused");
  }

  /** Reads a secret file given by path (the {@code --turn-secret-file} flag). */
  public Secret readFile(String key, Path file, String shownAs) {
    String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8).stripTrailing();
    } catch (IOException | RuntimeException e) {
      throw ConfigException.invalid(
          key,
          shownAs + " cannot be read (" + e.getClass().getSimpleName() + ")",
          "a readable file");
    }
    if (text.isEmpty()) {
      throw ConfigException.invalid(key, shownAs + " is empty", "a file holding the secret");
    }
    return new Secret(text.getBytes(StandardCharsets.UTF_8), shownAs);
  }
}
