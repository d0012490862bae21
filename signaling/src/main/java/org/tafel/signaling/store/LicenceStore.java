package org.tafel.signaling.store;

import java.util.List;

/** Licence codes (licence-mode registration). */
public interface LicenceStore {

  /** Creates {@code count} new codes and returns them. */
  List<String> createLicences(int count, long now);

  List<Licence> listLicences();

  /**
   * Revokes a code so it registers nobody; a used code also revokes the identity it registered.
   * False when the code does not exist.
   */
  boolean revokeLicence(String code, long now);
}
