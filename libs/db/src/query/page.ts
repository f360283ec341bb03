/** Paging and sorting for list endpoints (reference §7). */
export interface PageRequest {
  page: number;
  pageSize: number;
  /** As sent by the client: a field name, `-` prefix for descending. */
  sort: string;
}

export interface Pagination {
  page: number;
  page_size: number;
  current_page_size: number;
  total_pages: number;
  total_results: number;
}

export interface Page<T> {
  data: T[];
  pagination: Pagination;
  sort: string;
  /** The filter the client sent, parsed (only when it sent one). */
  filter?: Record<string, unknown>;
}

export const DEFAULT_PAGE_SIZE = 100;
export const MAX_PAGE_SIZE = 1000;

export function pageOf<T>(data: T[], total: number, req: PageRequest): Page<T> {
  return {
    data,
    pagination: {
      page: req.page,
      page_size: req.pageSize,
      current_page_size: data.length,
      total_pages: Math.max(1, Math.ceil(total / req.pageSize)),
      total_results: total,
    },
    sort: req.sort,
  };
}
