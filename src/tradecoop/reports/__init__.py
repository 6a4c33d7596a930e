"""tradecoop.reports"""
