/* Firmware version comparison. */
#ifndef DESKPROV_VERSION_H
#define DESKPROV_VERSION_H

/* Compares two firmware versions segment by segment: runs of digits as
 * numbers (12.0.10 > 12.0.9, 05 == 5), runs of letters case-insensitively,
 * any other character only separates.  A version that is a prefix of the
 * other is older (12.0 < 12.0.1); at a digit/letter clash the digits win
 * (12.0.1 > 12.0.SR1).  Returns <0, 0 or >0 like strcmp. */
int	version_compare(const char *a, const char *b);

/* True for 1..63 characters of [A-Za-z0-9._()+-] with at least one digit. */
int	version_plausible(const char *s);

#endif
