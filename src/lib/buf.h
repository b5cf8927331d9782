/* Growable byte buffers and the escaping writers built on them. */
#ifndef DESKPROV_BUF_H
#define DESKPROV_BUF_H

#include <stdarg.h>
#include <stddef.h>

/* A growable buffer; always NUL-terminated after the first write.  The
 * buffer owns `data`; buf_free() releases it. */
struct buf {
	char	*data;
	size_t	 len;
	size_t	 cap;
};

void	 buf_init(struct buf *);
void	 buf_free(struct buf *);
void	 buf_reset(struct buf *);
void	 buf_reserve(struct buf *, size_t extra);
void	 buf_add(struct buf *, const void *, size_t);
void	 buf_adds(struct buf *, const char *);
void	 buf_addc(struct buf *, char);
void	 buf_printf(struct buf *, const char *, ...)
	    __attribute__((format(printf, 2, 3)));
void	 buf_vprintf(struct buf *, const char *, va_list)
	    __attribute__((format(printf, 2, 0)));
/* Text or attribute content for XML and HTML: & < > " ' become entities,
 * and CR a character reference so that it survives XML parsing. */
void	 buf_add_xml(struct buf *, const char *, size_t);
/* A JSON string literal, quotes included. */
void	 buf_add_json_str(struct buf *, const char *, size_t);
/* Returns the data (caller frees) and leaves the buffer empty. */
char	*buf_detach(struct buf *);

/* Allocation failure is not bad input: these abort with a message. */
void	*xmalloc(size_t);
void	*xcalloc(size_t, size_t);
void	*xrealloc(void *, size_t);
/* Advises transparent huge pages for the whole 2 MB pages inside a large
 * block (a file read whole, a vector of a million entries): a fault and
 * a zeroing per 2 MB instead of per 4 KB, which halved the CPU of reading
 * a 280 MB phones.yml.  Below 4 MB, or where the advice is refused,
 * nothing changes. */
void	 buf_advise_huge(void *, size_t);
char	*xstrdup(const char *);
char	*xstrndup(const char *, size_t);

#endif
