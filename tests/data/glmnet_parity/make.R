# Reference fits for tests/test_glmnet_parity.py: R glmnet's offset, lower.limits/upper.limits
# and exclude on data of our own.  Run from this directory:  Rscript make.R
# Writes tall.csv, wide.csv (x1..xp, y, w, offset), cases.csv (the settings of each case),
# coefs.csv (intercept and coefficients per case), preds.csv (predict with newoffset) and
# versions.txt.  glmnet alpha = 0 (ridge) throughout; one exact lambda per fit.
# thresh = 1e-22, not glmnet's usual 1e-14: glmnet's thresh bounds the last sweep's largest
# (variance-weighted, squared) coefficient change relative to the null deviance, not the distance
# to the optimum; on the slowly converging cases here (no intercept, a column of mean 100,
# hundreds of passes) thresh = 1e-14 leaves glmnet's coefficients off by up to 1e-5 relative,
# thresh = 1e-22 by about 1e-9.
suppressPackageStartupMessages(library(glmnet))
set.seed(20261203)

make_data <- function(n, p, scales, means, beta) {
  R <- 0.5 ^ abs(outer(seq_len(p), seq_len(p), "-"))          # AR(1) correlation
  Z <- matrix(rnorm(n * p), n, p) %*% chol(R)
  X <- sweep(sweep(Z, 2, scales, "*"), 2, means, "+")
  y <- drop(1 + X %*% beta + rnorm(n, sd = 2))
  data.frame(X, y = y, w = runif(n, 0.5, 2), offset = rnorm(n))
}
p <- 6
tall <- make_data(80, p, scales = c(1, 3, 0.5, 10, 2, 1), means = c(0, 5, -2, 100, 1, 0),
                  beta = c(2, -3, 1.5, 0.4, -1, 0.8))
names(tall)[1:p] <- paste0("x", 1:p)
pw <- 40
wide <- make_data(25, pw, scales = rep(c(1, 2, 0.5, 4), 10), means = rep(c(0, 1, -1, 3), 10),
                  beta = rep(c(1, -0.5, 0.25, 0), 10))
names(wide)[1:pw] <- paste0("x", 1:pw)
# rounded to 8 decimals, so that the CSV's decimal text (15 significant digits) is the exact
# data R fits: Python parses it back to the same doubles
tall[] <- lapply(tall, round, 8)
wide[] <- lapply(wide, round, 8)
write.csv(tall, "tall.csv", row.names = FALSE)
write.csv(wide, "wide.csv", row.names = FALSE)

lims_lo <- c(-Inf, -2, 0, -0.1, -0.5, -Inf)
lims_hi <- c(1.5, Inf, 1, 0.3, Inf, 0.5)
box_lo <- c(-1, -2, -0.5, -0.1, -0.5, -0.25)
box_hi <- c(1.5, 1, 1, 0.3, 0.2, 0.5)
pf <- c(1, 2, 0.5, 1, 1, 3)

cases <- list()
add <- function(name, data, std, intr, weighted, offset, lambda, lower = -Inf, upper = Inf,
                exclude = integer(0), penalty = NULL) {
  cases[[length(cases) + 1]] <<- list(name = name, data = data, std = std, intr = intr,
                                      weighted = weighted, offset = offset, lambda = lambda,
                                      lower = lower, upper = upper, exclude = exclude,
                                      penalty = penalty)
}
for (std in c(TRUE, FALSE)) for (intr in c(TRUE, FALSE)) {
  tag <- sprintf("std%d_int%d", std, intr)
  add(paste0("limits_", tag), "tall", std, intr, TRUE, FALSE, 0.3, lims_lo, lims_hi)
  add(paste0("scalar_limits_", tag), "tall", std, intr, FALSE, FALSE, 0.3, -0.4, 0.6)
  add(paste0("exclude_", tag), "tall", std, intr, TRUE, FALSE, 0.3, exclude = c(2, 5),
      penalty = pf)
  add(paste0("offset_", tag), "tall", std, intr, TRUE, TRUE, 0.3)
  add(paste0("all_", tag), "tall", std, intr, TRUE, TRUE, 0.2, lims_lo, lims_hi,
      exclude = c(3), penalty = pf)
  add(paste0("lambda0_box_", tag), "tall", std, intr, TRUE, TRUE, 0, box_lo, box_hi)
  add(paste0("lambda0_lower_", tag), "tall", std, intr, FALSE, TRUE, 0,
      c(-0.5, -Inf, 0, -Inf, -0.5, -Inf))
  add(paste0("wide_limits_", tag), "wide", std, intr, TRUE, TRUE, 0.5,
      rep(c(-0.3, -Inf), 20), rep(c(0.8, 0.2, Inf, 0.1), 10), exclude = c(1, 17, 40))
}

fmt <- function(v) if (length(v) == 0) "" else paste(trimws(format(v, digits = 17)), collapse = ";")
case_rows <- list(); coef_rows <- list(); pred_rows <- list()
for (cs in cases) {
  d <- if (cs$data == "tall") tall else wide
  np <- ncol(d) - 3
  X <- as.matrix(d[, 1:np]); y <- d$y
  w <- if (cs$weighted) d$w else rep(1, nrow(d))
  off <- if (cs$offset) d$offset else NULL
  pen <- if (is.null(cs$penalty)) rep(1, np) else cs$penalty
  args <- list(x = X, y = y, family = "gaussian", alpha = 0, lambda = cs$lambda,
               weights = w, standardize = cs$std, intercept = cs$intr, thresh = 1e-22,
               maxit = 1e7, penalty.factor = pen, lower.limits = cs$lower,
               upper.limits = cs$upper)
  if (!is.null(off)) args$offset <- off
  if (length(cs$exclude)) args$exclude <- cs$exclude
  fit <- do.call(glmnet, args)
  stopifnot(fit$jerr == 0)
  b <- as.numeric(coef(fit, s = cs$lambda, exact = FALSE))
  case_rows[[length(case_rows) + 1]] <- data.frame(
    case = cs$name, dataset = cs$data, standardize = as.integer(cs$std),
    intercept = as.integer(cs$intr), weighted = as.integer(cs$weighted),
    offset = as.integer(cs$offset), lambda = cs$lambda, lower = fmt(cs$lower),
    upper = fmt(cs$upper), exclude = fmt(cs$exclude),
    penalty = if (is.null(cs$penalty)) "" else fmt(cs$penalty), npasses = fit$npasses)
  coef_rows[[length(coef_rows) + 1]] <- data.frame(case = cs$name, index = 0:np,
                                                   value = trimws(format(b, digits = 17)))
  if (cs$offset) {   # predict on the first 5 rows with a new offset (glmnet's newoffset)
    newoff <- seq(-1, 1, length.out = 5)
    pr <- as.numeric(predict(fit, newx = X[1:5, , drop = FALSE], newoffset = newoff,
                             s = cs$lambda))
    pred_rows[[length(pred_rows) + 1]] <- data.frame(case = cs$name, row = 0:4,
                                                     newoffset = newoff,
                                                     value = trimws(format(pr, digits = 17)))
  }
}
write.csv(do.call(rbind, case_rows), "cases.csv", row.names = FALSE)
write.csv(do.call(rbind, coef_rows), "coefs.csv", row.names = FALSE)
write.csv(do.call(rbind, pred_rows), "preds.csv", row.names = FALSE)
writeLines(c(R.version.string, paste("glmnet", as.character(packageVersion("glmnet"))),
             paste("Matrix", as.character(packageVersion("Matrix")))), "versions.txt")
