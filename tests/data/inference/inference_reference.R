# Reference values for tests/test_inference.py, made with base R only (no add-on package).
# Run from this folder:  Rscript inference_reference.R
# Writes: R_version.txt, genridge_vif_longley.csv, lm_weighted_prostate.csv
writeLines(c(R.version.string), "R_version.txt")

## 1. Ridge VIFs as genridge's vif.ridge defines them (github.com/friendly/genridge,
##    R/ridge.R and R/vif.ridge.R): X centred and scaled by its population RMS (MASS::lm.ridge),
##    cov = MSE * (X'X + k I)^-1 X'X (X'X + k I)^-1, R = cov2cor(cov),
##    VIF_i = R[i,i] * det(R[-i,-i]) / det(R).  Written here from that formula (genridge itself
##    is not installed on this machine).
longley <- read.csv("../longley_genridge/longley_R_datasets.csv")
X <- data.matrix(longley[, c("GNP", "Unemployed", "Armed.Forces", "Population", "Year",
                             "GNP.deflator")])
n <- nrow(X); p <- ncol(X)
Xc <- sweep(X, 2, colMeans(X))
Xs <- sweep(Xc, 2, sqrt(colMeans(Xc^2)), "/")
XPX <- crossprod(Xs)
lambda <- c(0, 0.005, 0.01, 0.02, 0.04, 0.08, 1, 10)
out <- NULL
for (k in lambda) {
  Ai <- solve(XPX + k * diag(p))
  V <- Ai %*% XPX %*% Ai
  R <- cov2cor(V)
  vif <- sapply(1:p, function(i) R[i, i] * det(as.matrix(R[-i, -i])) / det(R))
  out <- rbind(out, c(lambda = k, vif))
}
colnames(out) <- c("lambda", colnames(X))
write.csv(out, "genridge_vif_longley.csv", row.names = FALSE)

## 2. Weighted least squares with lm (the alpha -> 0 limit of Ridge.inference): the prostate
##    training rows, weights 1 + (row %% 3), and the first 5 rows given weight 0 (lm leaves them
##    out of the residual degrees of freedom).
pr <- read.table("../../../fastridge/datasets/data/prostate.data", header = TRUE)
tr <- pr[pr$train %in% c(1, "T", TRUE), ]
w <- 1 + (seq_len(nrow(tr)) %% 3)
w[1:5] <- 0
fit <- lm(lpsa ~ lcavol + lweight + age + lbph + svi + lcp + gleason + pgg45, data = tr,
          weights = w)
s <- summary(fit)$coefficients
ci <- confint(fit, level = 0.9)
res <- data.frame(term = rownames(s), estimate = s[, 1], se = s[, 2], t = s[, 3], p = s[, 4],
                  lo90 = ci[, 1], hi90 = ci[, 2], df_resid = fit$df.residual,
                  sigma = summary(fit)$sigma)
write.csv(res, "lm_weighted_prostate.csv", row.names = FALSE)
